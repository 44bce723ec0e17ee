CREATE TABLE public.t (id int PRIMARY KEY, owner name);
ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON public.t FOR SELECT USING (owner = current_user);
